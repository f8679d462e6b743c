"""The command table and the conversation, the same in Telegram and in the terminal.

turn: what a command gets (the Turn) and how commands and buttons are declared · table: every
command, declared once (name, description, who may use it, what it calls), gathered from people,
asking, reporting, plans, reminders and admins (one module per feature) · dialog: an incoming message or button
press → the reply, for any front end · help: /trogiup and the command menus, from the table.
"""
