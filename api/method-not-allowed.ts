import type { Hono, MiddlewareHandler } from 'hono';

/** A route path (`/api/users/:id`) as a regular expression over request paths. */
function pathPattern(routePath: string) {
  const source = routePath
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * The methods the app's routes answer on a path, read from the router's own table once it is
 * complete, so a route added later needs no more code. Middleware (`use`, method ALL) is not a
 * route. When templates of both kinds match (`POST /api/stocks/adjust` and
 * `GET /api/stocks/:id`), the one with more fixed segments is the path's, as a reader expects.
 */
export function allowedMethods(app: Pick<Hono, 'routes'>) {
  let table: Array<{ method: string; pattern: RegExp; fixed: number }> | undefined;
  return (path: string): string[] => {
    table ??= (app.routes as Array<{ method: string; path: string }>)
      .filter((route) => route.method !== 'ALL' && !route.path.includes('*'))
      .map((route) => ({ method: route.method, pattern: pathPattern(route.path), fixed: route.path.split('/').filter((s) => s && !s.startsWith(':')).length }));
    const matching = table.filter((route) => route.pattern.test(path));
    const best = Math.max(...matching.map((route) => route.fixed));
    const methods = new Set(matching.filter((route) => route.fixed === best).map((route) => route.method));
    // Hono answers HEAD for every GET route.
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

/**
 * 405 with `Allow` for a method the path does not take, before authentication or validation:
 * the answer is about the path, whoever asks. Unknown paths go on to the 404.
 */
export function methodNotAllowed(app: Pick<Hono, 'routes'>): MiddlewareHandler {
  const allowed = allowedMethods(app);
  return async (c, next) => {
    const methods = allowed(c.req.path);
    if (methods.length === 0 || methods.includes(c.req.method)) return next();
    c.header('Allow', methods.join(', '));
    return c.json({ message: `${c.req.method} is not allowed on ${c.req.path}; use ${methods.join(' or ')}.` }, 405);
  };
}
