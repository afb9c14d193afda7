from opportune.cli.app import main

main()
