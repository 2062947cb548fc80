import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureServingMaterial, issueCertificate } from './certs.ts';

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
