// The project part of what `troupe init` writes: package.json, tsconfig, the Docker image FROM Troupe's,
// a compose file (NATS + workers running the app + a feeder of the samples), and a README.
import type { TemplateValues } from "./template-app.js";

const PACKAGE = (v: TemplateValues) =>
  JSON.stringify(
    {
      name: v.name,
      version: "0.1.0",
      private: true,
      type: "module",
      scripts: {
        build: "tsc -p .",
        test: "tsc -p . && node --test dist/test/",
        start: "tsc -p . && troupe node --app ./dist/src/app.js --source limits=127.0.0.1:7001 --source readings=127.0.0.1:7002 --sink alerts=stdout:json",
        "send:limits": "troupe send --to 127.0.0.1:7001 --json samples/limits.jsonl",
        "send:readings": "troupe send --to 127.0.0.1:7002 --json samples/readings.jsonl",
      },
      dependencies: { troupe: v.troupeSpec },
      devDependencies: { "@types/node": v.typesNode, typescript: v.typescript },
    },
    null,
    2,
  ) + "\n";

const TSCONFIG = JSON.stringify(
  {
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "dist", rootDir: ".", types: ["node"], skipLibCheck: true, sourceMap: true },
    include: ["src", "test"],
  },
  null,
  2,
) + "\n";

const DOCKERFILE = `# This app on the Troupe image: \`npm run build\` first (the image takes the compiled dist/src).
# The Troupe image resolves \`import ... from "troupe"\` for modules under /app/user.
ARG TROUPE_IMAGE=troupe:local
FROM \${TROUPE_IMAGE}
COPY --chown=node:node dist/src /app/user
COPY --chown=node:node samples /app/samples
ENV TROUPE_APP=/app/user/app.js
`;

const COMPOSE = (name: string) => `# ${name} on a Troupe cluster: NATS (JetStream), workers running this app, and a feeder that sends the samples.
#   npm run build && docker compose up --build           (compose v2: 3 workers)
#   docker-compose up --build --scale worker=3            (compose 1.29 ignores deploy.replicas)
#   docker compose logs -f worker | grep alerts:          (the app's output, one JSON line per alert)
# TROUPE_IMAGE is the Troupe image to build on (README: "Get the Troupe image").
version: "3.8"

x-build: &build
  context: .
  args:
    TROUPE_IMAGE: \${TROUPE_IMAGE:-troupe:local}

services:
  nats:
    image: \${NATS_IMAGE:-nats:2.10}
    command: ["-js", "-sd", "/data"]

  worker:
    build: *build
    image: ${name}:local
    command: ["node"]
    environment:
      TROUPE_NATS_URL: nats://nats:4222
      TROUPE_SOURCES: limits=0.0.0.0:7001,readings=0.0.0.0:7002
      TROUPE_SINKS: alerts=stdout:json
      TROUPE_HTTP: 0.0.0.0:8080
      TROUPE_STATE: \${TROUPE_STATE:-snapshot}
      TROUPE_LOG_LEVEL: \${LOG_LEVEL:-info}
    # SIGTERM drains a worker (its slots move to the others): give it time.
    stop_grace_period: 45s
    depends_on:
      - nats
    deploy:
      replicas: 3

  # Sends the limits, then the readings, to a worker's sources (any worker routes each to its device's owner).
  feeder:
    build: *build
    image: ${name}:local
    entrypoint: ["sh", "-c", "node bin/troupe.js send --to worker:7001 --json /app/samples/limits.jsonl && node bin/troupe.js send --to worker:7002 --json /app/samples/readings.jsonl"]
    healthcheck:
      disable: true
    depends_on:
      - worker
`;

const README = (v: TemplateValues) => `# ${v.name}

A Troupe app: temperature readings joined with per-device limits. Each device is a
virtual actor; the \`limits\` stream saves a device's limit in its state, the \`readings\` stream checks each
reading against it and emits an alert to the \`alerts\` sink when it is over.

| file | what |
| --- | --- |
| \`src/app.ts\` | the pipelines and steps |
| \`src/codecs.ts\` | the records and their JSON codecs (one JSON object per frame) |
| \`test/app.test.ts\` | the steps, and the join on a 3-node cluster (\`TestCluster\` from the testing kit) |
| \`samples/*.jsonl\` | records for \`troupe send\` |
| \`Dockerfile\`, \`docker-compose.yml\` | the app on the Troupe image; NATS, 3 workers and a feeder |

## Build and test

\`\`\`sh
npm install
npm test                                   # in-process cluster; TROUPE_TEST_NATS=nats://127.0.0.1:4222 npm test runs it over NATS
\`\`\`

## Run it on one machine

\`\`\`sh
npm start                                  # one node: sources on 7001 (limits) and 7002 (readings), alerts on stdout
npm run send:limits && npm run send:readings   # in a second terminal
\`\`\`

## Run it on a cluster with Docker

Build the Troupe image once (from Troupe's repository: \`docker build -f deploy/Dockerfile -t troupe:local .\`),
then here:

\`\`\`sh
npm run build
docker compose up --build -d               # docker-compose 1.29: add --scale worker=3
docker compose logs -f worker | grep alerts:
docker compose up -d --scale worker=5      # the devices' slots rebalance over 5 workers
docker compose down -v
\`\`\`
`;

/** The project's files around the app, by path. */
export function deployFiles(v: TemplateValues): Record<string, string> {
  return {
    "package.json": PACKAGE(v),
    "tsconfig.json": TSCONFIG,
    Dockerfile: DOCKERFILE,
    ".dockerignore": "node_modules\n",
    ".gitignore": "node_modules\ndist\n",
    "docker-compose.yml": COMPOSE(v.name),
    "README.md": README(v),
  };
}
