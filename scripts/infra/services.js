/** The six services: name, schema (= database role), HTTP port. One list for every script. */
const SERVICES = [
  { name: 'social-register', schema: 'social_register', port: 3001 },
  { name: 'social-processing', schema: 'social_processing', port: 3002 },
  { name: 'verification', schema: 'verification', port: 3003 },
  { name: 'e-budget', schema: 'e_budget', port: 3004 },
  { name: 'payments-treasury', schema: 'payments_treasury', port: 3005 },
  { name: 'case-management', schema: 'case_management', port: 3006 },
];
module.exports = { SERVICES };
