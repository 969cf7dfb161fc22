from helpers.data.registry import main

raise SystemExit(main())
