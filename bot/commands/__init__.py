"""The command table and the conversation, the same in Telegram and in the terminal.

table: every command, declared once (name, description, who may use it, what it calls) · dialog:
an incoming message or button press → the reply, for any front end · help: /trogiup and the
command menus, from the table.
"""
