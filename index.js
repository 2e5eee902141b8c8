// Scripts outside n8n get the same deployment planner and Halo data sources the nodes use.
module.exports = require('./dist/engine');
