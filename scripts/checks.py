"""Shared by the Python test scripts: "ok - name" / "not ok - name: detail" lines, a count of the
failed ones, and the exit status they make. The shell scripts' twin is scripts/lib.sh."""
import sys

failed = 0


def check(name, cond, detail=""):
    global failed
    if cond:
        print(f"ok - {name}", flush=True)
    else:
        failed += 1
        print(f"not ok - {name}{': ' + str(detail) if detail else ''}", flush=True)


def finish():
    """Exits 1 if a check failed, else 0."""
    sys.exit(1 if failed else 0)
