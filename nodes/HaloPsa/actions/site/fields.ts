/** What Simplify keeps of a site. */
export const simplifiedSiteFields = ['id', 'name', 'client_id', 'client_name', 'inactive', 'phonenumber'];
