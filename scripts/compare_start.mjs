// Start time and idle memory of a server, for the README's comparison: spawns it 7 times, times
// from spawn to the first 200 from URL, reads VmRSS one second later, prints the medians.
// Usage: node compare_start.mjs NAME URL COMMAND ARGS...
//   node scripts/compare_start.mjs authemu http://127.0.0.1:18801/api/auth/.well-known/openid-configuration \
//     build/authemu --listen 127.0.0.1:18801 --quiet
//   node scripts/compare_start.mjs oauth2-mock-server http://127.0.0.1:18802/.well-known/openid-configuration \
//     build/node/node_modules/.bin/oauth2-mock-server -a 127.0.0.1 -p 18802   (npm install oauth2-mock-server@8 in build/node)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
const [name, url, ...cmd] = process.argv.slice(2);
const times = [], rss = [];
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  const p = spawn(cmd[0], cmd.slice(1), { stdio: 'ignore' });
  for (;;) {
    try { const r = await fetch(url); if (r.ok) break; } catch {}
    await new Promise((r) => setTimeout(r, 2));
  }
  times.push(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 1000));
  rss.push(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))[1]));
  p.kill('SIGTERM');
  await new Promise((r) => p.on('exit', r));
}
times.sort((a, b) => a - b); rss.sort((a, b) => a - b);
console.log(name, 'start ms median', times[3].toFixed(1), 'min', times[0].toFixed(1), 'max', times[6].toFixed(1), 'RSS KiB median', rss[3]);
