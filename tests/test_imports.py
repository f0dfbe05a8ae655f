"""Every module of the package imports on its own, first: no import cycle hides behind the
order in which the rest of the code happens to import things."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Run in a child interpreter: for each module, forget every cablegram module loaded so far
# (third-party ones stay, which is what makes one process enough) and import that module
# first, as `python -c "import cablegram.link"` would. `cablegram.__main__` runs the CLI.
CHECK = textwrap.dedent("""
    import importlib, pkgutil, sys
    import cablegram
    names = [m.name for m in pkgutil.walk_packages(cablegram.__path__, "cablegram.")
             if m.name != "cablegram.__main__"]
    failed = []
    for name in names:
        for loaded in [m for m in sys.modules if m.split(".")[0] == "cablegram"]:
            del sys.modules[loaded]
        try:
            importlib.import_module(name)
        except Exception as e:
            failed.append(f"{name}: {type(e).__name__}: {e}")
    print(len(names))
    print("\\n".join(failed))
""")


def test_every_module_imports_first_in_a_fresh_interpreter() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    count, *failed = done.stdout.strip().split("\n")
    assert int(count) > 50  # the walk found the package's modules
    assert [f for f in failed if f] == []
