// The demo's index.html: one section per scenario with its intro, outcome and links to the
// report and the pcap.
import { escapeHtml } from '../../report/html-escape.js';

export interface ScenarioOutcome {
  id: string;
  title: string;
  intro: string[];
  command: string;
  summary: string;
  report: string;
  pcap: string;
  traceFile: string;
}

export function renderIndexPage(outcomes: readonly ScenarioOutcome[], when: Date): string {
  const sections = outcomes
    .map(
      (o) =>
        `<section><h2>${escapeHtml(o.title)}</h2><p>${escapeHtml(o.intro.join(' '))}</p>` +
        `<pre>$ ${escapeHtml(o.command)}</pre><p><b>${escapeHtml(o.summary)}</b></p>` +
        `<p><a href="${encodeURI(o.report)}">HTML report</a> · <a href="${encodeURI(o.traceFile)}">explained trace</a> · ` +
        `<a href="${encodeURI(o.pcap)}">pcap</a> (open in Wireshark, or <code>synack read ${escapeHtml(o.pcap)} --explain</code>)</p></section>`,
    )
    .join('\n');
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>synack demo</title>' +
    '<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}' +
    'pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}section{border-top:1px solid #ddd;margin-top:1.5rem}</style>' +
    `</head><body><h1>synack demo</h1><p>Doing TCP by hand, with a stack that keeps up: the three experiments of the article, run ${escapeHtml(when.toISOString())} against real Linux servers in the lab.</p>\n` +
    `${sections}\n</body></html>\n`
  );
}
