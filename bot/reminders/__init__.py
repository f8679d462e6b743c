"""Deadline reminders: deadlines (plans' facts, admins' own) → due reminders → an outbox → Telegram.

rules: offsets and working days · catalog: the deadlines · planner: outbox rows when reminders come
due · outbox: claiming and final states · outcomes: what an error means for a row · sender: the drain
loop · leader: one sender across replicas · service: one run of all that · messages, subscriptions,
commands (/hanchot), notify (/nhacnho, /guitin), checkins (a nudge's buttons: report, snooze, hand
over), summaries (/tomtat: the standing sent to a group): what people see · nudges: an admin nudges
officers now (the web page).
The database is the truth: a restart, a second process or a Telegram error never loses or doubles a row.
"""
