/** What Simplify keeps of an agent. */
export const simplifiedAgentFields = ['id', 'name', 'email', 'team', 'team_id', 'isdisabled'];
