// The seed article's three experiments, replayed with the real stack against real Linux servers,
// with what a student should look for in each trace.
import { HOST_LINK, LAB_PORTS } from '../../lab/plan.js';

export interface Scenario {
  id: 'A' | 'B' | 'C';
  slug: string;
  title: string;
  /** Plain words, one paragraph per entry. */
  intro: string[];
  url: string;
  http10: boolean;
  /** Drop this incoming data segment (1-based) once. */
  dropSegment?: number;
  /** Compare with curl's time for the same URL. */
  compareWithCurl: boolean;
}

const SERVER = HOST_LINK.server.ipv4;

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'A',
    slug: 'a-http10-small-page',
    title: 'A: a small page over HTTP/1.0 (the server closes first)',
    intro: [
      "Python's http.server speaks HTTP/1.0: after the response it closes the connection itself.",
      'Look for the three-way handshake (SYN, SYN-ACK, ACK), our GET, and the response: Python',
      'writes the headers and the page (a small directory listing) separately, and its FIN rides on',
      'the last data segment. With HTTP/1.0 that FIN is how we know the page is complete. We',
      'acknowledge it and send our own FIN; the last ACK comes from the server.',
    ],
    url: `http://${SERVER}:${LAB_PORTS.http10}/`,
    http10: true,
    compareWithCurl: false,
  },
  {
    id: 'B',
    slug: 'b-http11-2k',
    title: 'B: a 2 KB page over HTTP/1.1 (we close after Content-Length)',
    intro: [
      'nginx speaks HTTP/1.1 and keeps the connection open after the response (keep-alive).',
      'The body does not fit in one segment: watch two data segments arrive and our ACK for them.',
      'The article waited for a 1-second silence to decide the page was done. We read Content-Length',
      '(2048 bytes) instead, so our FIN follows the last byte at once: no timeout anywhere.',
    ],
    url: `http://${SERVER}:${LAB_PORTS.http}/2k.bin`,
    http10: false,
    compareWithCurl: false,
  },
  {
    id: 'C',
    slug: 'c-100k-loss',
    title: 'C: 100 KB with a burst of segments and one of them lost',
    intro: [
      "Linux starts a connection with a congestion window of 10 segments, so the server's first",
      'flight is a burst of 10 segments at once: the burst that broke the hand-made stack in the',
      'article. Here the fault injector drops one early data segment on purpose.',
      'Look for: our ACK that stays at the start of the hole but carries a SACK block ("I also have',
      'these bytes after it", RFC 2018); the server, seeing three or more segments SACKed above the',
      'hole, resends just the missing one at once (RFC 6675), no timeout; the transfer carries on at',
      'full speed. Then the time next to curl (the kernel TCP) for the same file.',
    ],
    url: `http://${SERVER}:${LAB_PORTS.http}/100k.bin`,
    http10: false,
    dropSegment: 3,
    compareWithCurl: true,
  },
];
