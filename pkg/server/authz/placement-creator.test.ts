import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLACEMENT_CREATOR_ANNOTATION, parsePlacementCreator } from '../../../apis/scheduling/v1alpha1/creator.ts';
import type { KObject } from '../registry/object.ts';
import { placementCreatorStrategy } from './placement-creator.ts';

const forged = JSON.stringify({ username: 'admin', groups: ['system:masters'] });

test('the creator is the requester, whatever the client sent, and survives updates', () => {
  const s = placementCreatorStrategy();
  const obj: KObject = { metadata: { name: 'p', annotations: { [PLACEMENT_CREATOR_ANNOTATION]: forged, keep: 'me' } } };
  s.prepareForCreate!('root:a', obj, { username: 'alice', uid: 'u1', groups: ['tenant-a', 'system:authenticated'] });
  assert.deepEqual(parsePlacementCreator(obj.metadata.annotations), { username: 'alice', uid: 'u1', groups: ['tenant-a', 'system:authenticated'] });
  assert.equal(obj.metadata.annotations?.keep, 'me');

  const edited: KObject = { metadata: { name: 'p', annotations: { [PLACEMENT_CREATOR_ANNOTATION]: forged } } };
  s.prepareForUpdate!(obj, edited, '');
  assert.equal(parsePlacementCreator(edited.metadata.annotations)?.username, 'alice');
  const dropped: KObject = { metadata: { name: 'p' } };
  s.prepareForUpdate!(obj, dropped, '');
  assert.equal(parsePlacementCreator(dropped.metadata.annotations)?.username, 'alice');

  const anonymous: KObject = { metadata: { name: 'q', annotations: { [PLACEMENT_CREATOR_ANNOTATION]: forged } } };
  s.prepareForCreate!('root:a', anonymous, undefined);
  assert.equal(parsePlacementCreator(anonymous.metadata.annotations), undefined);
});
