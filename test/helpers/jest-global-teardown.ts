import { removeN8nUserFolder } from './n8n-user-folder';

export default function globalTeardown(): void {
	removeN8nUserFolder(process.env.N8N_USER_FOLDER);
}
