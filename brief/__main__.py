from brief.launch import main

main()
