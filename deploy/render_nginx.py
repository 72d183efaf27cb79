"""Render deploy/nginx.conf.template from deploy/run.sh's settings (no Django, standard library only)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from string import Template


class _Placeholders(Template):
    """Only ${UPPER_CASE} is ours; nginx's own $variables pass through untouched."""

    pattern = r"\$(?:(?P<escaped>\$\$)|\{(?P<braced>[A-Z_]+)\}|(?P<named>(?!x)x)|(?P<invalid>(?!x)x))"  # type: ignore[assignment]


def _proxy_server(listen: str, body: str) -> str:
    return f"    server {{\n        listen {listen};\n{body}    }}\n"


def render(args: argparse.Namespace) -> str:
    tls = bool(args.tls_cert)
    upstreams = args.web_upstreams.split() or [f"127.0.0.1:{port}" for port in args.web_ports.split()]
    # max_fails=0: a refused connection to a restarting web process costs microseconds on this network
    # and nginx retries the next one; marking both "down" for a while on a hiccup would turn it into 502s
    web_servers = "\n".join(f"        server {upstream} max_fails=0;" for upstream in upstreams)
    if tls:
        listen = f"        listen {args.https_port} ssl http2;"
        tls_lines = "\n".join(
            [
                f"        ssl_certificate {args.tls_cert};",
                f"        ssl_certificate_key {args.tls_key};",
                "        ssl_protocols TLSv1.2 TLSv1.3;",
                "        ssl_session_cache shared:sangsaeng_tls:10m;",
                "        ssl_session_timeout 1d;",
            ]
        )
        # plain HTTP only redirects (the health check stays reachable for probes that speak HTTP)
        http_server = _proxy_server(
            str(args.http_port),
            f"        server_name {args.server_name};\n"
            "        location = /healthz {\n"
            "            proxy_http_version 1.1;\n"
            "            proxy_set_header Host $http_host;\n"
            '            proxy_set_header Connection "";\n'
            "            proxy_pass http://sangsaeng_web;\n"
            "        }\n"
            "        location / {\n"
            f"            return 308 https://$host:{args.https_port}$request_uri;\n"
            "        }\n",
        )
    else:
        listen = f"        listen {args.http_port};"
        tls_lines = ""
        http_server = ""
    user = ""
    if args.user:
        user = f"user {args.user};"
    elif os.geteuid() == 0:
        # nginx started as root drops its workers to this user; the static files and temp paths are ours
        user = "user root;"
    values = {
        "WORKERS": args.workers,
        "DEPLOY_DIR": args.deploy_dir,
        "USER_DIRECTIVE": user,
        "PROTO_DEFAULT": "https" if tls else "$scheme",
        "WEB_SERVERS": web_servers,
        "WS_SERVER": args.ws_upstream or f"127.0.0.1:{args.ws_port}",
        "ERROR_LOG": args.error_log or f"{args.deploy_dir}/logs/nginx-error.log",
        "ACCESS_LOG": args.access_log or f"{args.deploy_dir}/logs/nginx-access.log",
        "PID": args.pid or f"{args.deploy_dir}/nginx/nginx.pid",
        "TEMP": args.temp or f"{args.deploy_dir}/nginx",
        "HTTP_SERVER": http_server,
        "LISTEN": listen,
        "SERVER_NAME": args.server_name,
        "TLS": tls_lines,
        "MAX_BODY": args.max_body,
        "STATIC_ROOT": args.static_root,
    }
    return _Placeholders(Path(args.template).read_text()).substitute(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    for name in (
        "template",
        "out",
        "deploy-dir",
        "static-root",
        "server-name",
        "http-port",
        "https-port",
        "web-ports",
        "ws-port",
        "tls-cert",
        "tls-key",
        "max-body",
        "workers",
        "user",
        "web-upstreams",
        "ws-upstream",
        "error-log",
        "access-log",
        "pid",
        "temp",
    ):
        parser.add_argument(f"--{name}", default="")
    args = parser.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not args.temp:
        for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (out.parent / temp).mkdir(exist_ok=True)
    out.write_text(render(args))


if __name__ == "__main__":
    main()
