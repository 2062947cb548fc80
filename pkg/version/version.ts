// kplane's own version, shared by the server (/version) and clients (user agents).
export const KPLANE_VERSION = '0.1.0';
