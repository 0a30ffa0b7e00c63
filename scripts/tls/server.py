#!/usr/bin/env python3
"""A loopback HTTPS server for tests: answers every GET and POST with 200 and
{"id":"tls-N"}, using the certificate and key it is given (tests use
Tests/TestSupport/TLS). Writes DIR/ready once listening; stops after LIFETIME s.
    server.py DIR PORT CERT KEY LIFETIME"""
import http.server, itertools, os, ssl, sys, threading

# The test process that spawned us may have left its sockets inheritable: holding one of its servers'
# connections open would keep that connection alive past the server's shutdown.
os.closerange(3, 65536)
directory, port, cert, key, lifetime = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
counter = itertools.count(1)


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = ('{"id":"tls-%d"}' % next(counter)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = answer
    do_POST = answer

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
threading.Timer(lifetime, server.shutdown).start()
os.makedirs(directory, exist_ok=True)
open(os.path.join(directory, "ready"), "w").close()
server.serve_forever()
