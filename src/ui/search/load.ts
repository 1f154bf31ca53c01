/** Load the search view on first use; bundlers split it into its own chunk with the engine. */
export const loadSearchView = (): Promise<typeof import('./view.js')> => import('./view.js')
