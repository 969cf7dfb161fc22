from helpers.check import main

raise SystemExit(main())
