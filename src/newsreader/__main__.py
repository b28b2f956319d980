from newsreader.cli.main import main

raise SystemExit(main())
