"""``aggsim app``: the live classroom, served on this machine (Panel, from the extra ``[app]``)."""

from __future__ import annotations

import argparse
import ipaddress
from pathlib import Path

from sim.errors import UserError

DEFAULT_PORT = 5006
INSTALL_HINT = "pip install '.[app]' in a checkout of aggsim"


def add_commands(commands) -> None:
    app = commands.add_parser(
        "app",
        help="a live classroom in the browser: two platforms side by side, sliders and stories",
        description="Serve the classroom app: platforms A and B with the levers of the lesson, "
        "run live with plots and the stories of their failures, a predict-then-run mode and an "
        f"export to scenario files and results. Needs the [app] extra ({INSTALL_HINT}).",
    )
    app.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0: any free port)",
    )
    app.add_argument(
        "--address",
        default="127.0.0.1",
        help="address to listen on (default: this machine only; 0.0.0.0 for a classroom network)",
    )
    app.add_argument(
        "--scenario", type=Path, help="the scenario both platforms start from (default: the demo)"
    )
    app.add_argument(
        "--presets",
        type=Path,
        default=Path("scenarios/teaching"),
        help="folder of scenario files for the preset menus (default: scenarios/teaching)",
    )
    app.add_argument(
        "--results",
        type=Path,
        default=Path("results"),
        help="where the export saves results folders (default: results)",
    )
    app.add_argument("--open", action="store_true", help="open the page in a browser")
    app.set_defaults(handler=command_app)


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0 to 65535, got {text!r}")
    return port


#: How often the server looks for the sessions of closed tabs, and how long it keeps them.
SESSION_CHECK_MS = 2000


def command_app(args: argparse.Namespace) -> int:
    from sim.scenario.files import load_scenario
    from sim.teaching.app.levers import preset_files
    from sim.teaching.demo import demo_scenario

    start = load_scenario(args.scenario) if args.scenario else demo_scenario()
    presets = {}
    if args.presets.is_dir():
        presets = preset_files(args.presets)
        for path in presets.values():
            load_scenario(path)  # a broken preset is named now, not when a class picks it
    elif args.presets != Path("scenarios/teaching"):
        raise UserError(f"{args.presets}: --presets: expected a folder of scenario files")
    print("aggsim app: starting (Panel takes a few seconds to load)", flush=True)
    try:
        import panel as pn
    except ImportError:
        raise UserError(f"aggsim app needs Panel: {INSTALL_HINT}") from None
    from sim.teaching.app.page import page_factory

    try:
        local = ipaddress.ip_address(args.address).is_loopback
    except ValueError:
        local = args.address == "localhost"
    try:
        server = pn.serve(
            {"/": page_factory(start, presets, args.results)},
            port=args.port,
            address=args.address,
            websocket_origin=None if local else ["*"],
            show=False,
            start=False,
            verbose=False,
            title="aggsim app",
            threaded=False,
            # A closed tab's session (its two worlds) goes within seconds, not Bokeh's 15-30.
            check_unused_sessions_milliseconds=SESSION_CHECK_MS,
            unused_session_lifetime_milliseconds=SESSION_CHECK_MS,
        )
    except OSError as error:
        raise UserError(
            f"--port {args.port}: cannot listen on {args.address} ({error.strerror})"
        ) from None
    from sim.teaching.app.logs import one_line_logs

    one_line_logs()
    url = f"http://{'localhost' if local else args.address}:{server.port}/"
    print(f"aggsim app: serving at {url} (Ctrl-C to stop)", flush=True)
    if args.open:
        import webbrowser

        webbrowser.open(url)
    try:
        server.start()  # the server's own tasks: closed tabs' sessions cleaned up, pings
        server.io_loop.start()
    except KeyboardInterrupt as stop:
        if type(stop) is not KeyboardInterrupt:  # SIGTERM: reported as every command reports it
            raise
    finally:
        server.stop()
    print("aggsim app: stopped")
    return 0
