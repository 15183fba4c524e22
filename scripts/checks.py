"""Shared by the Python interop scripts: "ok - name" / "not ok - name: detail" lines, and a count."""

failed = 0


def check(name, cond, detail=""):
    global failed
    if cond:
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"not ok - {name}{': ' + str(detail) if detail else ''}")
