import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureServingMaterial, issueCertificate, serialNumber } from './certs.ts';

test('serving material is created once and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-certs-'));
  const first = ensureServingMaterial(dir, ['127.0.0.1', 'localhost']);
  const second = ensureServingMaterial(dir, ['127.0.0.1', 'localhost']);
  assert.equal(first.ca.certPem, second.ca.certPem);
  assert.equal(first.serving.certPem, second.serving.certPem);
  const ca = new X509Certificate(readFileSync(join(dir, 'ca.crt')));
  const serving = new X509Certificate(first.serving.certPem);
  assert.ok(serving.verify(ca.publicKey), 'serving cert is signed by the CA');
  assert.ok(serving.checkIP('127.0.0.1'));
  assert.ok(serving.checkHost('localhost'));
});

test('a new host reissues the serving certificate but keeps the CA', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-certs-'));
  const first = ensureServingMaterial(dir, ['127.0.0.1']);
  const second = ensureServingMaterial(dir, ['127.0.0.1', 'kplane.example']);
  assert.equal(first.ca.certPem, second.ca.certPem);
  assert.notEqual(first.serving.certPem, second.serving.certPem);
  assert.ok(new X509Certificate(second.serving.certPem).checkHost('kplane.example'));
});

test('client certificates carry the user and groups', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-certs-'));
  const { ca } = ensureServingMaterial(dir, ['127.0.0.1']);
  const client = issueCertificate(ca, { commonName: 'alice', organizations: ['team-a'], usage: 'client' });
  const cert = new X509Certificate(client.certPem);
  assert.match(cert.subject, /CN=alice/);
  assert.match(cert.subject, /O=team-a/);
});

test('serial numbers are positive and DER-minimal whatever the random first byte', () => {
  for (const first of [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff]) {
    const serial = serialNumber((n) => Buffer.alloc(n, first));
    const lead = Number.parseInt(serial.slice(0, 2), 16);
    assert.ok(lead >= 0x01 && lead <= 0x7f, `first byte ${first.toString(16)} gave ${serial}`);
    assert.equal(serial.length, 32);
  }
});
