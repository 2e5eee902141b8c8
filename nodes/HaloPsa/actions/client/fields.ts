/** What Simplify keeps of a client. */
export const simplifiedClientFields = ['id', 'name', 'inactive', 'toplevel_id', 'toplevel_name', 'main_site_id', 'website'];
