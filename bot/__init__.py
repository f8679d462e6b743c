"""The bot: layers from the bottom up; a package imports only from those below it (and from knowledge/).

core: settings, database, models, logs, metrics, replies · transport: the Telegram Bot API client, update
order, outbound rate limits, error codes · people, asking, reporting, plans, reminders: one package per feature ·
commands: the command table and the conversation every front end shares · web: the office's web page
(aiohttp, Jinja2; never telegram) · start: process entry points
(command line, terminal chat, polling, webhook, HTTP); __main__ runs the command line. The Telegram
handlers (`handlers/`) sit between commands and start.
"""
