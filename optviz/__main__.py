"""``python -m optviz``: the command line (see ``optviz.cli``)."""

from optviz.cli import main

raise SystemExit(main())
