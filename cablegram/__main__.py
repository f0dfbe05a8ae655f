"""Allow `python -m cablegram`."""

from cablegram.cli import main

main()
