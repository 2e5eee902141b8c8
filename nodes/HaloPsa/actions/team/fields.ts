/** What Simplify keeps of a team. */
export const simplifiedTeamFields = ['id', 'name', 'department_id', 'department_name', 'inactive'];
