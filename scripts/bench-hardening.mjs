// The hardening figures, against a running server with the demo data (issue 16):
//   1. sign-in link requests: time to answer for customers' addresses vs unknown ones;
//   2. a storm of failed staff sign-ins (200 at once, each from its own loopback address,
//      in waves for ~6 s): /readyz latency during the storm, against /readyz at rest.
// Usage: node scripts/bench-hardening.mjs BASE_URL PORTAL_KEY
// Traffic goes only to the given loopback server, from 127.0.x.y source addresses; every
// loop is bounded in count and time.
import http from "node:http";

const [base, key] = process.argv.slice(2);
if (!base || !key) {
  console.error("usage: node scripts/bench-hardening.mjs BASE_URL PORTAL_KEY");
  process.exit(2);
}
const url = new URL(base);
const agentless = { host: url.hostname, port: Number(url.port), agent: false };

function request({ method = "GET", path, body, from }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      {
        ...agentless,
        method,
        path,
        localAddress: from,
        headers: body
          ? {
              "content-type": "application/x-www-form-urlencoded",
              "content-length": Buffer.byteLength(body),
              origin: base,
            }
          : {},
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
        );
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
    if (body) req.write(body);
    req.end();
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (ms) => `${ms.toFixed(2)} ms`;

// The demo's customers (service/src/demo/people.rs): 4 requests each stays under the
// per-address limit of 5 per 15 minutes.
const known = [
  "giulia@example.com", "marco.bianchi@example.com", "emma.thompson@example.com",
  "liam.obrien@example.com", "sofia.esposito@example.com", "noah.williams@example.com",
  "chiara.romano@example.com", "oliver.smith@example.com", "francesca.colombo@example.com",
  "ava.johnson@example.com",
];

async function linkTiming() {
  const times = { known: [], unknown: [] };
  let slowerKnown = 0;
  let n = 0;
  for (let round = 0; round < 4; round++) {
    for (const [i, email] of known.entries()) {
      n++;
      const pair = [
        ["known", email],
        ["unknown", `nobody${round}x${i}@example.com`],
      ];
      if (n % 2) pair.reverse();
      const got = {};
      for (const [kind, address] of pair) {
        const from = `127.0.2.${(n * 2 + (kind === "known" ? 0 : 1)) % 250 + 1}`;
        // Warm the connection path alike for both: a fresh connection each time.
        const r = await request({
          method: "POST",
          path: "/api/portal/request_link",
          body: `key=${key}&email=${encodeURIComponent(address)}`,
          from,
        });
        got[kind] = r.ms;
        times[kind].push(r.ms);
      }
      if (got.known > got.unknown) slowerKnown++;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  console.log(
    `link requests, ${n} pairs: known median ${fmt(pct(times.known, 50))} p90 ${fmt(pct(times.known, 90))}; ` +
      `unknown median ${fmt(pct(times.unknown, 50))} p90 ${fmt(pct(times.unknown, 90))}; ` +
      `known slower in ${Math.round((100 * slowerKnown) / n)}% of pairs (50% = indistinguishable)`,
  );
}

async function readyz(durationMs) {
  const times = [];
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    times.push((await request({ path: "/readyz", from: "127.0.0.1" })).ms);
    await new Promise((r) => setTimeout(r, 10));
  }
  return times;
}

async function storm() {
  const rest = await readyz(2000);
  const statuses = {};
  let stop = false;
  const waves = (async () => {
    for (let wave = 0; wave < 20 && !stop; wave++) {
      const attempts = [];
      for (let i = 0; i < 200; i++) {
        const from = `127.0.${10 + wave}.${i + 1}`;
        attempts.push(
          request({
            method: "POST",
            path: "/api/console/sign_in",
            body: `email=nobody${wave}x${i}%40acme.test&password=wrong-password-${i}`,
            from,
          }).then(
            (r) => (statuses[r.status] = (statuses[r.status] ?? 0) + 1),
            () => (statuses.error = (statuses.error ?? 0) + 1),
          ),
        );
      }
      await Promise.all(attempts);
    }
  })();
  const during = await readyz(6000);
  stop = true;
  await waves;
  console.log(
    `readyz at rest: p50 ${fmt(pct(rest, 50))} p99 ${fmt(pct(rest, 99))} (${rest.length} probes); ` +
      `during the sign-in storm: p50 ${fmt(pct(during, 50))} p99 ${fmt(pct(during, 99))} (${during.length} probes); ` +
      `sign-in answers ${JSON.stringify(statuses)}`,
  );
}

await linkTiming();
await storm();
