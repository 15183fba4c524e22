// Benchmark (make bench): the npm package's startAuthemu() to a usable server (the promise resolved:
// ready line read, environments known), and to its first token, RUNS times in one Node process.
// Usage: AUTHEMU_BIN=build/authemu node scripts/bench_packages.mjs RUNS; prints one JSON line.
import { startAuthemu } from './packages/npm/lib/index.mjs';

const runs = Number(process.argv[2] || 21);
const started = [];
const tokened = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const emu = await startAuthemu();
  started.push(performance.now() - t0);
  await emu.token();
  tokened.push(performance.now() - t0);
  await emu.stop();
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x) => Math.round(x * 100) / 100;
  return { median_ms: r(s[Math.floor(s.length / 2)]), min_ms: r(s[0]), max_ms: r(s[s.length - 1]), runs: s.length };
};
console.log(JSON.stringify({ start: stats(started), start_to_token: stats(tokened) }));
