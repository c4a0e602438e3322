#!/usr/bin/python3
# -*- coding: utf-8 -*-
# ethkit_profile: ethkit's tuning profiles as an Ansible module. MIT licensed, as ethkit.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ethkit_profile
short_description: Apply, verify or roll back an ethkit tuning profile on network devices
description:
  - Runs C(ethkit --apply/--verify/--rollback ... --json) on the managed host and reports what it
    changed. ethkit applies a profile as a transaction: it saves a snapshot before the first
    change and, should a step fail, undoes every change already made, so a failed task leaves
    the devices as they were.
  - Check mode runs C(ethkit --plan) (for I(state=applied)) or C(ethkit --rollback --dry-run)
    (for I(state=rolled_back)) and changes nothing. With C(--diff), every setting that is (or
    would be) set is shown with its value before and after.
  - C(changed) is true exactly when ethkit set something (or, in check mode, would set something).
options:
  profile:
    description: Profile name (in ethkit's profile directory) or path to a profile YAML file. Required unless I(state=rolled_back).
    type: str
  devices:
    description: Network devices the profile is for (one snapshot each).
    type: list
    elements: str
    required: true
  state:
    description:
      - C(applied) applies the profile (ok when the devices already match).
      - C(verified) only checks; the task fails when a setting differs (drift), showing it in the diff.
      - C(rolled_back) undoes the devices' applies, newest first, until no snapshot is left (ok when there is none).
    type: str
    choices: [applied, verified, rolled_back]
    default: applied
  params:
    description: Profile parameters, passed as C(--set NAME=VALUE); booleans become on/off.
    type: dict
    default: {}
  state_dir:
    description: ethkit's state directory (snapshots); default ethkit's (C($ETHKIT_STATE_DIR) or C(/var/lib/ethkit)).
    type: path
  profile_dir:
    description: Directory of profiles (C(--profile-dir)).
    type: path
  ethkit:
    description: Path of the ethkit executable; default C(ethkit) on the PATH.
    type: path
  netns:
    description: Run ethkit in this network namespace (C(ip netns exec NETNS ethkit ...)).
    type: str
  allow_default_route:
    description: Pass C(--yes), allowing changes to the interface that carries the default route (ethkit refuses them otherwise, as there is no terminal to confirm on).
    type: bool
    default: false
  wait:
    description: Seconds to wait for another ethkit holding the state directory (C(--wait)).
    type: int
  force:
    description: I(state=rolled_back) only; restore snapshots taken of another instance of the device (C(--force)).
    type: bool
    default: false
requirements:
  - ethkit on the managed host (root, or CAP_NET_ADMIN for changes)
'''

EXAMPLES = r'''
- name: Director tuning on the LVS NICs
  ethkit_profile:
    profile: director
    devices: [eth1, eth2]
    params: {mode: nat, gro: true}

- name: Still as tuned?
  ethkit_profile:
    profile: director
    devices: [eth1, eth2]
    params: {mode: nat, gro: true}
    state: verified

- name: Undo
  ethkit_profile:
    devices: [eth1, eth2]
    state: rolled_back
'''

RETURN = r'''
result:
  description: ethkit's result word (changed, ok, changes, drift, failed, failed-undo-incomplete, error).
  type: str
  returned: always
exit_code:
  description: ethkit's exit status (0 changed/ok, 2 unchanged, 3 drift, 4 failed and rolled back, 5 rollback incomplete, 1 error).
  type: int
  returned: always
changes:
  description: The settings set (or, in check mode, to be set), each with device, setting, before and after.
  type: list
  returned: always
rolled_back:
  description: True when a failed apply was undone by ethkit's transaction (the devices are as before).
  type: bool
  returned: on failure of an apply
steps:
  description: ethkit's steps with their status (done, failed, undone, undo-failed).
  type: list
  returned: when ethkit ran steps
ethkit:
  description: ethkit's JSON documents, one per ethkit run.
  type: list
  returned: always
'''

import json
import os

from ansible.module_utils.basic import AnsibleModule

# ethkit's exit codes (docs/profiles.md).
OK, ERROR, UNCHANGED, DRIFT, ROLLED_BACK, ROLLBACK_FAILED = 0, 1, 2, 3, 4, 5
MAX_ROLLBACKS = 1000


def param_value(v):
    if isinstance(v, bool):
        return 'on' if v else 'off'
    return str(v)


def change_of(row):
    return {
        'device': row.get('device'),
        'setting': row.get('setting'),
        'before': row.get('current'),
        'after': row.get('target'),
    }


def diff_of(changes, header):
    def line(c, side):
        value = c[side]
        return '%s: %s: %s\n' % (c['device'] or '(host)', c['setting'], '-' if value is None else value)
    return {
        'before_header': header + ' (before)',
        'after_header': header + ' (after)',
        'before': ''.join(line(c, 'before') for c in changes),
        'after': ''.join(line(c, 'after') for c in changes),
    }


def first_line(text):
    for line in (text or '').splitlines():
        line = line.strip()
        if line:
            return line
    return ''


class Ethkit(object):
    def __init__(self, module):
        self.module = module
        p = module.params
        exe = p['ethkit'] or module.get_bin_path('ethkit')
        if not exe:
            module.fail_json(msg='ethkit is not installed on the managed host (no ethkit on the PATH; set the ethkit option)')
        if p['ethkit'] and not os.access(exe, os.X_OK):
            module.fail_json(msg='ethkit option: %s is not an executable file' % exe)
        self.prefix = [exe]
        if p['netns']:
            self.prefix = [module.get_bin_path('ip', required=True), 'netns', 'exec', p['netns'], exe]
        self.docs = []

    def common(self):
        p = self.module.params
        args = ['--json']
        if p['state_dir']:
            args += ['--state-dir', p['state_dir']]
        if p['profile_dir']:
            args += ['--profile-dir', p['profile_dir']]
        if p['wait'] is not None:
            args += ['--wait', str(p['wait'])]
        return args

    def run(self, args):
        """Run ethkit; its JSON document, exit status and stderr."""
        argv = self.prefix + args + self.common()
        rc, out, err = self.module.run_command(argv)
        try:
            doc = json.loads(out)
        except ValueError:
            reason = first_line(err) or first_line(out) or 'no output'
            self.module.fail_json(msg='ethkit failed (exit status %d): %s' % (rc, reason), rc=rc, cmd=argv, stdout=out, stderr=err)
        if not isinstance(doc, dict):
            self.module.fail_json(msg='ethkit printed JSON that is not an object', rc=rc, cmd=argv, stdout=out, stderr=err)
        doc.setdefault('exit_code', rc)
        self.docs.append(doc)
        return doc, rc, err


def profile_args(p):
    args = [p['profile']] + p['devices']
    for name in sorted(p['params']):
        args += ['--set', '%s=%s' % (name, param_value(p['params'][name]))]
    return args


def rows_to_set(doc, key='rows'):
    return [change_of(r) for r in doc.get(key) or [] if r.get('action') in ('set', 'later')]


def main():
    module = AnsibleModule(
        argument_spec=dict(
            profile=dict(type='str'),
            devices=dict(type='list', elements='str', required=True),
            state=dict(type='str', default='applied', choices=['applied', 'verified', 'rolled_back']),
            params=dict(type='dict', default={}),
            state_dir=dict(type='path'),
            profile_dir=dict(type='path'),
            ethkit=dict(type='path'),
            netns=dict(type='str'),
            allow_default_route=dict(type='bool', default=False),
            wait=dict(type='int'),
            force=dict(type='bool', default=False),
        ),
        required_if=[('state', 'applied', ['profile']), ('state', 'verified', ['profile'])],
        supports_check_mode=True,
    )
    p = module.params
    if not p['devices']:
        module.fail_json(msg='devices: name at least one device')
    if p['force'] and p['state'] != 'rolled_back':
        module.fail_json(msg='force is an option of state=rolled_back only')
    ek = Ethkit(module)
    yes = ['--yes'] if p['allow_default_route'] else []
    header = ' '.join(p['devices'])

    def fail(doc, rc, err, **extra):
        reason = doc.get('error') or first_line(err) or 'exit status %d' % rc
        module.fail_json(msg=reason, result=doc.get('result', 'error'), exit_code=rc, ethkit=ek.docs, changed=False, **extra)

    if p['state'] == 'verified':
        doc, rc, err = ek.run(['--verify'] + profile_args(p))
        if rc == OK:
            module.exit_json(changed=False, result=doc.get('result'), exit_code=rc, changes=[], ethkit=ek.docs,
                             msg='%s matches %s' % (header, p['profile']))
        if rc == DRIFT:
            drift = [change_of(r) for r in doc.get('drift') or []]
            module.fail_json(msg='drift: %d setting(s) of %s differ from %s' % (len(drift), header, p['profile']),
                             result='drift', exit_code=rc, changes=drift, diff=diff_of(drift, header), ethkit=ek.docs, changed=False)
        fail(doc, rc, err)

    if p['state'] == 'applied':
        if module.check_mode:
            doc, rc, err = ek.run(['--plan'] + profile_args(p))
            if rc != OK:
                fail(doc, rc, err)
            changes = rows_to_set(doc)
            module.exit_json(changed=bool(changes), result=doc.get('result'), exit_code=rc, changes=changes,
                             diff=diff_of(changes, header), ethkit=ek.docs,
                             msg='%d setting(s) would be set' % len(changes))
        doc, rc, err = ek.run(['--apply'] + profile_args(p) + yes)
        if rc == OK:
            changes = [change_of(r) for r in doc.get('changes') or []]
            module.exit_json(changed=True, result=doc.get('result'), exit_code=rc, changes=changes, steps=doc.get('steps'),
                             snapshots=doc.get('snapshots'), diff=diff_of(changes, header), ethkit=ek.docs,
                             msg='%d setting(s) set' % len(changes))
        if rc == UNCHANGED:
            module.exit_json(changed=False, result=doc.get('result'), exit_code=rc, changes=[], ethkit=ek.docs,
                             msg='%s already matches %s' % (header, p['profile']))
        if rc == ROLLED_BACK:
            module.fail_json(msg='%s; every change was rolled back, the devices are as before' % doc.get('error', 'apply failed'),
                             result=doc.get('result'), exit_code=rc, rolled_back=True, steps=doc.get('steps'), changes=[],
                             ethkit=ek.docs, changed=False)
        if rc == ROLLBACK_FAILED:
            module.fail_json(msg='%s; the rollback failed too (%s): the devices need attention' % (
                doc.get('error', 'apply failed'), '; '.join(doc.get('undo_errors') or [])),
                result=doc.get('result'), exit_code=rc, rolled_back=False, steps=doc.get('steps'),
                changes=[change_of(r) for r in doc.get('changes') or []], ethkit=ek.docs, changed=True)
        fail(doc, rc, err)

    # rolled_back: newest snapshot first, until none is left.
    force = ['--force'] if p['force'] else []
    if module.check_mode:
        doc, rc, err = ek.run(['--rollback'] + p['devices'] + ['--dry-run'] + force)
        if rc == ERROR and doc.get('reason') == 'no-snapshot':
            module.exit_json(changed=False, result='ok', exit_code=rc, changes=[], ethkit=ek.docs, msg='nothing to roll back')
        if rc != OK:
            fail(doc, rc, err)
        changes = rows_to_set(doc)
        # Older snapshots under this one would be rolled back too: a change either way.
        module.exit_json(changed=True, result=doc.get('result'), exit_code=rc, changes=changes, diff=diff_of(changes, header),
                         ethkit=ek.docs, msg='%d setting(s) would be restored by the last snapshot' % len(changes))
    changes = []
    for _ in range(MAX_ROLLBACKS):
        doc, rc, err = ek.run(['--rollback'] + p['devices'] + yes + force)
        if rc == OK:
            changes += [change_of(r) for r in doc.get('changes') or []]
            continue
        if rc == UNCHANGED:
            continue
        if rc == ERROR and doc.get('reason') == 'no-snapshot':
            break
        if rc == ROLLED_BACK:
            module.fail_json(msg='%s; the rollback was undone, the devices are as before it' % doc.get('error', 'rollback failed'),
                             result=doc.get('result'), exit_code=rc, rolled_back=True, changes=changes, ethkit=ek.docs,
                             changed=bool(changes))
        fail(doc, rc, err, changes=changes)
    else:
        module.fail_json(msg='more than %d snapshots to roll back' % MAX_ROLLBACKS, ethkit=ek.docs, changed=bool(changes))
    module.exit_json(changed=bool(changes), result='changed' if changes else 'ok', exit_code=OK, changes=changes,
                     diff=diff_of(changes, header), ethkit=ek.docs,
                     msg='%d setting(s) restored' % len(changes) if changes else 'nothing to roll back')


if __name__ == '__main__':
    main()
