"""One module per command. Each defines NAME (the command word) and `command` (a function returning an exit
code); the app registers every module here, so adding a command never edits a shared file."""
