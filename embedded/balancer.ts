import net from 'node:net';

/**
 * A round-robin TCP balancer for the API replicas of `npm run cluster`, in the place of the
 * nginx that compose runs in front of them. A replica that refuses the connection is skipped for
 * the next one, so a dead replica costs a client nothing but the retry inside this process.
 */
export async function startBalancer(options: { port: number; host?: string; backends: number[] }) {
  let next = 0;
  const served = new Map<number, number>(options.backends.map((port) => [port, 0]));
  const server = net.createServer((client) => {
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= options.backends.length) {
        client.destroy();
        return;
      }
      const port = options.backends[next++ % options.backends.length]!;
      const upstream = net.connect({ port, host: '127.0.0.1' });
      upstream.once('error', () => tryBackend(attempt + 1));
      upstream.once('connect', () => {
        served.set(port, (served.get(port) ?? 0) + 1);
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${options.port}`,
    /** Connections handed to each backend port so far. */
    served: () => Object.fromEntries(served) as Record<number, number>,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
