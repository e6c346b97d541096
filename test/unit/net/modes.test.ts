import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TAP_LINK } from '../../../src/lab/plan.js';
import { guardRuleset } from '../../../src/net/host-guard.js';
import { derivedMac, LinkConfigError, planLink } from '../../../src/net/modes.js';

test('default: TAP synack0 with the lab plan’s addresses, the kernel side as gateway', () => {
  assert.deepEqual(planLink({}), {
    mode: 'tap',
    device: 'synack0',
    ipv4: { address: TAP_LINK.stack.ipv4, prefix: 24 },
    ipv6: { address: TAP_LINK.stack.ipv6, prefix: 64 },
    gateway4: TAP_LINK.host.ipv4,
    gateway6: TAP_LINK.host.ipv6,
    mac: TAP_LINK.stack.mac,
  });
});

test('TAP with custom addresses: gateway defaults to the first host of each prefix', () => {
  const p = planLink({ tap: 'tp1', ip: ['10.5.0.9/24', 'fd05::9/64'] });
  assert.equal(p.device, 'tp1');
  assert.equal(p.gateway4, '10.5.0.1');
  assert.equal(p.gateway6, 'fd05::1');
  assert.equal(p.mac, '02:53:0a:05:00:09');
});

test('spare-address mode needs an address; its MAC is derived from it unless given', () => {
  const p = planLink({ iface: 'eth9', ip: ['192.168.1.250/24'], gw: ['192.168.1.1'] });
  assert.equal(p.mode, 'spare');
  assert.equal(p.mac, '02:53:c0:a8:01:fa');
  assert.equal(p.gateway4, '192.168.1.1');
  assert.equal(
    planLink({ iface: 'eth9', ip: ['192.168.1.250/24'], mac: '02:00:00:00:00:aa' }).mac,
    '02:00:00:00:00:aa',
  );
  assert.throws(() => planLink({ iface: 'eth9' }), LinkConfigError);
});

test('host mode needs --iface and takes no --ip; conflicting options are refused', () => {
  assert.equal(planLink({ iface: 'eth9', hostIp: true }).mode, 'host');
  assert.throws(() => planLink({ hostIp: true }), /--host-ip needs --iface/);
  assert.throws(() => planLink({ iface: 'eth9', hostIp: true, ip: ['10.0.0.1/24'] }), LinkConfigError);
  assert.throws(() => planLink({ iface: 'eth9', tap: 'x' }), LinkConfigError);
  assert.throws(() => planLink({ ip: ['10.0.0.1/24', '10.0.0.2/24'] }), /two ipv4/);
  assert.throws(() => planLink({ ip: ['not-an-address'] }), /not an address/);
});

test('derivedMac is locally administered and unicast', () => {
  const mac = derivedMac(undefined, { address: 'fd00::1:2:3:4' });
  const first = Number.parseInt(mac.slice(0, 2), 16);
  assert.equal(first & 0x02, 0x02);
  assert.equal(first & 0x01, 0);
  assert.equal(mac, '02:53:00:03:00:04');
});

test('the guard ruleset drops our port range in prerouting at -300 and kernel RSTs in output', () => {
  const rules = guardRuleset('eth9', { low: 61000, high: 61999 });
  assert.match(rules, /table inet synack_guard/);
  assert.match(rules, /hook prerouting priority -300/);
  assert.match(rules, /iifname "eth9" tcp dport 61000-61999 drop/);
  assert.match(rules, /oifname "eth9" tcp sport 61000-61999 tcp flags rst drop/);
  assert.throws(() => guardRuleset('eth0"; flush ruleset', { low: 1, high: 2 }));
});
