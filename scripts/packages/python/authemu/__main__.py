"""`python -m authemu …` and the `authemu` console script: the binary of this package (or
AUTHEMU_BIN) in place of this process, with the same arguments and environment."""
import os
import sys

from . import AuthemuError, binary_path


def main():
    try:
        path = binary_path()
    except AuthemuError as e:
        print(e, file=sys.stderr)
        return 1
    os.execv(path, [path] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
