/** What Simplify keeps of a user (a client's contact). */
export const simplifiedUserFields = [
	'id',
	'name',
	'emailaddress',
	'phonenumber',
	'client_id',
	'client_name',
	'site_id',
	'site_name',
	'inactive',
];
