// Static bearer tokens from a file in kube-apiserver's --token-auth-file format:
//   token,user,uid,"group1,group2"
// (at least three columns; the fourth, optional, is a comma-separated group list). Blank
// lines and lines starting with # are skipped. Only SHA-256 digests of the tokens are kept
// in memory, and a lookup hashes the presented token first, so timing reveals nothing.
import { readFileSync } from 'node:fs';
import { hashToken as digest } from '../../bootstrap/admin.ts';
import type { TokenAuthenticator } from './authenticator.ts';
import { AUTHENTICATED_GROUP, type UserInfo } from './user.ts';

export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
}

/** Split one CSV record (RFC 4180 quoting: "a,b" and "" for a quote). */
export function splitCSVLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) throw new TokenFileError('unterminated quoted field');
  out.push(cur);
  return out.map((s) => s.trim());
}

export function parseTokenFile(text: string, source = 'token file'): Map<string, UserInfo> {
  const users = new Map<string, UserInfo>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    let cols: string[];
    try {
      cols = splitCSVLine(line);
    } catch (err) {
      throw new TokenFileError(`${source}:${i + 1}: ${(err as Error).message}`);
    }
    const [token, username, uid, groups] = cols;
    if (cols.length < 3 || !token || !username) {
      throw new TokenFileError(`${source}:${i + 1}: expected token,user,uid[,"group1,group2"]`);
    }
    const groupList = (groups ?? '').split(',').map((g) => g.trim()).filter((g) => g !== '');
    if (!groupList.includes(AUTHENTICATED_GROUP)) groupList.push(AUTHENTICATED_GROUP);
    // Line numbers only, never the token: error messages end up in logs.
    if (users.has(digest(token))) throw new TokenFileError(`${source}:${i + 1}: duplicate token`);
    users.set(digest(token), { username, ...(uid ? { uid } : {}), groups: groupList });
  });
  return users;
}

export class StaticTokenAuthenticator implements TokenAuthenticator {
  private readonly users: Map<string, UserInfo>;

  constructor(users: Map<string, UserInfo>) {
    this.users = users;
  }

  static fromFile(path: string): StaticTokenAuthenticator {
    return new StaticTokenAuthenticator(parseTokenFile(readFileSync(path, 'utf8'), path));
  }

  authenticateToken(token: string): UserInfo | undefined {
    const u = this.users.get(digest(token));
    return u ? { ...u, groups: [...u.groups] } : undefined;
  }
}
