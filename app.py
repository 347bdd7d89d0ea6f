"""The interactive page of the credential race: pick a scenario, move the levers, step through the
months and watch the map, the win measure, the deals and the events.

    .venv/bin/solara run app.py --host 127.0.0.1 --port 8765     (or: make app)

then open http://127.0.0.1:8765. Everything the page needs ships with the installed packages
(solara-assets, the country shapes in experiments/data): it renders with no network. The parts
live in experiments/page.py, the model in experiments/interactive.py.
"""

import solara.server.settings

from experiments.page import Page

solara.server.settings.telemetry.mixpanel_enable = False  # the page phones nowhere

page = Page
