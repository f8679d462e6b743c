"""Support for the tests, apart from the test files: the fake Telegram Bot API, harnesses and databases.

fakebotapi (with fakebotapi_updates, fakebotapi_flood): a fake Bot API server on 127.0.0.1 · harness:
the real bot polling it, driven by users · webhook_harness: the same in webhook mode · bot_process:
`campaign-bot run` as a separate process · databases: SQLite files and private PostgreSQL schemas · sql:
the statements an update ran ·
redis_budget: the Redis of the shared Telegram budget, a key prefix per test ·
fake_fixtures, reminders_harness, browser (Chromium on the web page): pytest plugins · proxies: tests never
go through a proxy.
"""
