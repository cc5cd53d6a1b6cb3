from voxsearch.cli.main import main

main()
