// The ticket types every workspace starts with: an inquiry, a complaint and a repair work order, each
// with its own workflow. Admins change or replace them like any other type.
import type { TicketTypeInput } from './ticket-model.ts';
import type { Transition, Workflow, WorkflowStatus } from './workflow.ts';

const path = (...keys: string[]): Transition[] => keys.slice(1).map((to, i) => ({ from: keys[i]!, to }));

const SERVICE_STATUSES: WorkflowStatus[] = [
  { key: 'new', name: 'New', category: 'open' },
  { key: 'assigned', name: 'Assigned', category: 'open' },
  { key: 'in_progress', name: 'In progress', category: 'open' },
  { key: 'waiting_on_customer', name: 'Waiting on customer', category: 'pending' },
  { key: 'resolved', name: 'Resolved', category: 'resolved' },
  { key: 'closed', name: 'Closed', category: 'closed' },
];

/** New -> Assigned -> In progress <-> Waiting on customer -> Resolved -> Closed; Resolved -> In progress reopens. */
const SERVICE_WORKFLOW: Workflow = {
  initial: 'new',
  statuses: SERVICE_STATUSES,
  transitions: [
    ...path('new', 'assigned', 'in_progress', 'waiting_on_customer', 'in_progress', 'resolved', 'closed'),
    { from: 'new', to: 'in_progress' },
    { from: 'assigned', to: 'waiting_on_customer' },
    { from: 'waiting_on_customer', to: 'resolved' },
    { from: 'resolved', to: 'in_progress' },
  ],
};

/** A work order is scheduled and carried out on site before it is done. */
const WORK_ORDER_WORKFLOW: Workflow = {
  initial: 'new',
  statuses: [
    { key: 'new', name: 'New', category: 'open' },
    { key: 'assigned', name: 'Assigned', category: 'open' },
    { key: 'scheduled', name: 'Scheduled', category: 'open' },
    { key: 'in_progress', name: 'In progress', category: 'open' },
    { key: 'waiting_on_customer', name: 'Waiting on customer', category: 'pending' },
    { key: 'waiting_on_parts', name: 'Waiting on parts', category: 'open' },
    { key: 'resolved', name: 'Done', category: 'resolved' },
    { key: 'closed', name: 'Closed', category: 'closed' },
  ],
  transitions: [
    ...path('new', 'assigned', 'scheduled', 'in_progress', 'resolved', 'closed'),
    { from: 'scheduled', to: 'waiting_on_customer' },
    { from: 'waiting_on_customer', to: 'scheduled' },
    { from: 'in_progress', to: 'waiting_on_parts' },
    { from: 'waiting_on_parts', to: 'in_progress' },
    { from: 'resolved', to: 'in_progress' },
  ],
};

export const DEFAULT_TICKET_TYPES: readonly TicketTypeInput[] = [
  { key: 'inquiry', name: 'Inquiry', workflow: SERVICE_WORKFLOW, categories: [], fields: [] },
  {
    key: 'complaint', name: 'Complaint', workflow: SERVICE_WORKFLOW,
    categories: ['product', 'service', 'billing', 'delivery', 'staff'],
    fields: [{ key: 'compensation', label: 'Compensation offered', type: 'number' }],
  },
  {
    key: 'repair', name: 'Repair work order', workflow: WORK_ORDER_WORKFLOW,
    categories: ['installation', 'repair', 'maintenance'],
    fields: [
      { key: 'site_address', label: 'Site address', type: 'text' },
      { key: 'visit_date', label: 'Visit date', type: 'date' },
      { key: 'warranty', label: 'Warranty', type: 'select', options: ['in warranty', 'out of warranty', 'unknown'] },
    ],
  },
];
