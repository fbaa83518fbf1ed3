"""Run the local stand-in of the Haal Centraal BRP API (R-INT-3) for development and the
demo: ``manage.py brp_standin --port 8089``, then set
``OPSTAP_BRP_URL=http://127.0.0.1:8089/haalcentraal/api/brp``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opstap.clients.brp_standin import PATH, TEST_PERSONS, StandinState, make_server


class Command(BaseCommand):
    help = "Start de lokale stand-in van de BRP API (Haal Centraal BRP bevragen) met testpersonen."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Alleen lokaal (standaard).")
        parser.add_argument("--port", type=int, default=8089)
        parser.add_argument("--api-key", default="", help="Eis deze X-API-KEY (optioneel).")

    def handle(self, *args: Any, host: str, port: int, api_key: str, **options: Any) -> None:
        server = make_server(host, port, StandinState(api_key=api_key))
        self.stdout.write(
            f"BRP-stand-in op http://{host}:{server.server_address[1]}{PATH} "
            f"({len(TEST_PERSONS)} testpersonen: {', '.join(sorted(TEST_PERSONS))}). "
            "Stoppen met Ctrl-C."
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
