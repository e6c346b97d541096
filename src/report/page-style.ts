// The report's inline stylesheet and script (no external resources: the file must work offline).

export const PAGE_CSS = `
:root { --fg:#1d2330; --muted:#5f6b7a; --bg:#fbfcfd; --card:#fff; --line:#d8dee6;
  --client:#1f6feb; --server:#0f8a5f; --retrans:#d1242f; --gap:#e36209; --dup:#b08800; --ooo:#8250df;
  --window:#0a7ea4; --rst:#8b0000; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 18px 28px 10px; border-bottom: 1px solid var(--line); background: var(--card); }
h1 { margin: 0 0 4px; font-size: 20px; }
h2 { font-size: 16px; margin: 26px 0 8px; }
main { padding: 0 28px 40px; max-width: 1100px; }
.quiet, .source { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; margin-top: 14px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.card .k { color: var(--muted); font-size: 12px; }
.card .v { font-size: 16px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card.bad .v { color: var(--retrans); }
.scroll { max-height: 78vh; overflow: auto; border: 1px solid var(--line); border-radius: 8px; background: var(--card); }
svg text { font: 12px ui-monospace, "SF Mono", Menlo, Consolas, monospace; fill: var(--fg); }
svg .lane-title { font-weight: 700; font-size: 13px; }
svg .col-title { fill: var(--muted); }
svg .lane { stroke: #98a2b3; stroke-width: 2; }
.seg line { stroke-width: 1.6; }
.seg.c2s line { stroke: var(--client); } .seg.s2c line { stroke: var(--server); }
.seg .caption { font-size: 11px; fill: #344054; }
.seg .num, .seg .time { fill: var(--muted); }
.seg .hit { fill: transparent; }
.seg:hover .hit, .seg.pinned .hit { fill: #eef4ff; }
.seg.dupack line { stroke: var(--dup); } .seg.dupack .explain { fill: var(--dup); }
.seg.ooo line { stroke: var(--ooo); } .seg.ooo .explain { fill: var(--ooo); }
.seg.gap line { stroke: var(--gap); } .seg.gap .explain { fill: var(--gap); }
.seg.window line { stroke: var(--window); } .seg.window .explain { fill: var(--window); }
.seg.retrans line { stroke: var(--retrans); stroke-width: 2.4; } .seg.retrans .explain { fill: var(--retrans); font-weight: 700; }
.seg.rst line { stroke: var(--rst); stroke-width: 2.4; } .seg.rst .explain { fill: var(--rst); font-weight: 700; }
.seg.dropped line { stroke: var(--retrans); stroke-dasharray: 5 4; } .seg.dropped .explain { fill: var(--retrans); }
.seg .cross { fill: var(--retrans); font-size: 15px; font-weight: 700; }
.seg.control .explain { font-weight: 600; }
svg .fold { fill: var(--muted); font-style: italic; font-weight: 600; }
svg .idle { fill: var(--muted); font-style: italic; font-size: 11px; }
.chart { width: 100%; height: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.chart .plot-bg { fill: #fff; stroke: var(--line); }
.chart .grid { stroke: #eef1f5; } .chart .tick { fill: var(--muted); font-size: 11px; }
.chart .axis-label { fill: var(--muted); }
.chart path { fill: none; stroke-width: 1.5; }
.tsg-data { stroke: var(--client); } .tsg-retrans { stroke: var(--retrans); stroke-width: 3 !important; }
.tsg-ack { stroke: var(--server); } .tsg-window { stroke: #f0a000; stroke-dasharray: 4 3; }
.tsg-sack { stroke: var(--ooo); stroke-width: 4 !important; opacity: .6; }
.rtt-a { stroke: var(--client); stroke-width: 4 !important; stroke-linecap: round; }
.rtt-b { stroke: var(--server); stroke-width: 4 !important; stroke-linecap: round; }
.cwnd { stroke: var(--client); } .ssthresh { stroke: var(--gap); stroke-dasharray: 5 3; }
g.legend, g.legend * { stroke: none !important; }
.legend.tsg-data rect, .legend.rtt-a rect, .legend.cwnd rect { fill: var(--client); }
.legend.tsg-retrans rect { fill: var(--retrans); } .legend.tsg-ack rect, .legend.rtt-b rect { fill: var(--server); }
.legend.tsg-window rect { fill: #f0a000; } .legend.tsg-sack rect { fill: var(--ooo); } .legend.ssthresh rect { fill: var(--gap); }
.legend text { font-size: 12px; }
table.events { border-collapse: collapse; width: 100%; background: var(--card); }
.events th, .events td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.events-box { max-height: 50vh; }
.events th { position: sticky; top: 0; background: var(--card); }
.events td.n { font-variant-numeric: tabular-nums; white-space: nowrap; }
.key { display: flex; flex-wrap: wrap; gap: 14px; margin: 6px 0 10px; color: var(--muted); }
.key span::before { content: ""; display: inline-block; width: 18px; height: 3px; margin-right: 6px; vertical-align: middle; background: var(--c); }
#detail { position: fixed; right: 18px; bottom: 18px; max-width: 640px; background: #101828; color: #f2f4f7;
  padding: 10px 14px; border-radius: 8px; font: 12px/1.5 ui-monospace, Menlo, Consolas, monospace; box-shadow: 0 6px 24px #0004; }
#detail[hidden] { display: none; }
#detail .expl { color: #fde68a; }
`;

export const PAGE_SCRIPT = `
(() => {
  const data = JSON.parse(document.getElementById('segment-data').textContent);
  const box = document.getElementById('detail');
  const ladder = document.getElementById('ladder');
  if (!ladder) return;
  let pinned = null;
  function show(g) {
    const d = data[Number(g.dataset.i)];
    if (!d) return;
    box.replaceChildren();
    const head = document.createElement('div');
    head.textContent = '#' + d.n + '  +' + d.t;
    const line = document.createElement('div');
    line.textContent = d.line;
    const expl = document.createElement('div');
    expl.className = 'expl';
    expl.textContent = '<- ' + d.explain;
    box.append(head, line, expl);
    box.hidden = false;
  }
  ladder.addEventListener('mouseover', (e) => {
    const g = e.target.closest('g.seg');
    if (g && !pinned) show(g);
  });
  ladder.addEventListener('mouseleave', () => { if (!pinned) box.hidden = true; });
  ladder.addEventListener('click', (e) => {
    const g = e.target.closest('g.seg');
    if (pinned) pinned.classList.remove('pinned');
    pinned = g && g !== pinned ? g : null;
    if (pinned) { pinned.classList.add('pinned'); show(pinned); } else box.hidden = true;
  });
})();
`;
