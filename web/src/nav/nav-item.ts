// A page in the navigation: its path, label key, area, and the permission it needs (the server checks it again).
import type { ReactNode } from 'react';
import type { Me } from '../api.ts';

export type Area = 'me' | 'agent' | 'supervisor' | 'admin';
export const AREAS: readonly Area[] = ['me', 'agent', 'supervisor', 'admin'];

export interface NavItem { path: string; label: string; area: Area; permission?: string; render: (me: Me) => ReactNode }
