// Headless Chromium for the report tests, started so that it asks nothing of the network: no
// background requests, no component updates, no sync (each would be a DNS query out of the host).
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--no-first-run',
  '--no-pings',
  '--dns-prefetch-disable',
  // Even so it looks up Google's update hosts at start: every name but localhost resolves to
  // nothing inside Chromium, so no query reaches the host's resolver (the uplink watch checks it).
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost',
];
