// Shared by the node test scripts: "ok - name" / "not ok - name: detail" lines, a count of the
// failed ones, and the exit status they make. Its twins: scripts/checks.py and scripts/lib.sh.
let failed = 0;

export const check = (name, cond, detail = '') => {
  if (cond) console.log(`ok - ${name}`);
  else { failed++; console.log(`not ok - ${name}${detail ? ': ' + detail : ''}`); }
};

// Exits 1 if a check failed, else 0.
export const finish = () => process.exit(failed ? 1 : 0);
