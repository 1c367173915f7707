import { REQUEST_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';

/**
 * The production-shaped topology, in one place. `npm run cluster` (scripts/cluster.ts) runs it
 * from binaries on one machine; docker-compose.yml runs it from images. Compose cannot read this
 * file, so test/docker-compose.test.ts proves the two agree on every value below.
 */
export const TOPOLOGY = {
  temporal: {
    /** The Temporal server release: the Go module `go.temporal.io/server` and the compose images. */
    version: '1.29.1',
    /** The Web UI release: the Go module `github.com/temporalio/ui-server/v2` and the compose image. */
    uiVersion: '2.42.1',
    /** Temporal's SQL plugin for PostgreSQL 12 and later. */
    persistence: 'postgres12',
    databases: { default: 'temporal', visibility: 'temporal_visibility' },
    /**
     * Fixed for the life of a cluster: it cannot be changed once the schema is set up. 16 suits a
     * desk (hundreds of open requests, tens of requests a minute); see docs/deployment.md.
     */
    numHistoryShards: 16,
    /** Each one a process (cluster) or a container (compose), in the order they start. */
    services: ['history', 'matching', 'frontend', 'worker'] as const,
    /** How long a closed request workflow's history is kept, in days. */
    retentionDays: 30,
  },
  namespace: 'license-desk',
  /**
   * Registered on the namespace before the api and the workers start: the cluster through the
   * operator service (embedded/search-attributes.ts), compose with its one-shot service.
   */
  searchAttributes: REQUEST_SEARCH_ATTRIBUTES,
  taskQueue: 'license-desk',
  apiReplicas: 2,
  workers: 3,
  /** The environment both the api and the worker get, and nothing else (apart from ports). */
  appEnvironment: [
    'NODE_ENV',
    'LOG_LEVEL',
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'TEMPORAL_NAMESPACE',
    'TEMPORAL_TASK_QUEUE',
    'SMTP_URL',
    'MAIL_FROM',
    'PUBLIC_URL',
    'CORS_ORIGINS',
    'SIGNING_KEY_SECRET',
  ] as const,
} as const;

export type TemporalService = (typeof TOPOLOGY.temporal.services)[number];
export type AppEnvironmentKey = (typeof TOPOLOGY.appEnvironment)[number];
