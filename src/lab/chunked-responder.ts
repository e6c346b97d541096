// The chunked responder's source (Python, run inside the server namespace): HTTP/1.1 with
// keep-alive, every body sent as Transfer-Encoding: chunked (RFC 9112 section 7.1) in chunks of
// varying sizes, the first with a chunk extension that clients must ignore (RFC 9112 7.1.1).
export const CHUNKED_RESPONDER_PY = String.raw`
import os, socket, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
ROOT = sys.argv[2]
# Chunk sizes cycle through this list: tiny ones exercise parsers, large ones keep it fast.
SIZES = (1, 7, 100, 1000, 4096, 16384, 65536, 65536, 65536, 65536)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'synack-chunked/1'

    def do_GET(self):
        self.respond(True)

    def do_HEAD(self):
        self.respond(False)

    def respond(self, with_body):
        name = os.path.basename(self.path.split('?', 1)[0])
        if name == '':
            source, status = None, 200
        else:
            path = os.path.join(ROOT, name)
            source, status = (path, 200) if os.path.isfile(path) else (None, 404)
        self.send_response(status)
        self.send_header('Content-Type', 'application/octet-stream' if source else 'text/plain')
        self.send_header('Transfer-Encoding', 'chunked')
        self.end_headers()
        if not with_body:
            return
        if source is None:
            text = b'synack lab chunked responder\n' if status == 200 else b'not found\n'
            self.wfile.write(b'%x;synack=1\r\n%s\r\n0\r\n\r\n' % (len(text), text))
            return
        with open(source, 'rb') as f:
            i = 0
            while True:
                data = f.read(SIZES[i % len(SIZES)])
                if not data:
                    break
                ext = b';synack=1' if i == 0 else b''
                self.wfile.write(b'%x%s\r\n%s\r\n' % (len(data), ext, data))
                i += 1
        self.wfile.write(b'0\r\n\r\n')

    def log_message(self, fmt, *args):
        sys.stderr.write('%s %s\n' % (self.address_string(), fmt % args))


class DualStackServer(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


DualStackServer(('::', PORT), Handler).serve_forever()
`;
