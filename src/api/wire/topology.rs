//! `GET /cluster/topology` (RavenDB 4.x and later): which node answers and
//! where every node of the cluster is, so an operation is polled on the node
//! that runs it (docs/protocol/ravendb-4x.md#cluster-topology,
//! #operation-ids). The shape is RavenDB's `ClusterTopologyResponse`
//! (`Raven.Client/Http/ClusterTopologyResponse.cs`):
//!
//! ```text
//! {"Topology":{"TopologyId":"…","AllNodes":{"A":"http://10.0.0.1:8080",…},
//!   "Members":{"A":"http://10.0.0.1:8080"},"Promotables":{},"Watchers":{},
//!   "LastNodeId":"A","Etag":3},
//!  "Leader":"A","NodeTag":"A","Status":{…}}
//! ```
//!
//! Read leniently: a missing map is empty, a missing tag `None`.

use serde::Serialize;
use std::collections::BTreeMap;

/// The cluster's nodes, by tag, as URLs.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClusterTopology {
    /// Every node (7.1; older servers list them under the three below).
    pub all_nodes: BTreeMap<String, String>,
    /// Voting members.
    pub members: BTreeMap<String, String>,
    /// Nodes being promoted to members.
    pub promotables: BTreeMap<String, String>,
    /// Non-voting nodes.
    pub watchers: BTreeMap<String, String>,
}

/// Answer of `GET /cluster/topology`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClusterTopologyResponse {
    /// The tag of the node that answered.
    pub node_tag: Option<String>,
    /// The leader's tag.
    pub leader: Option<String>,
    /// Where the nodes are.
    pub topology: Option<ClusterTopology>,
}

impl ClusterTopologyResponse {
    /// The URL of node `tag` (tags compare without regard to case), if the
    /// topology lists it with a non-empty URL.
    pub fn url_of(&self, tag: &str) -> Option<&str> {
        let topology = self.topology.as_ref()?;
        [
            &topology.all_nodes,
            &topology.members,
            &topology.promotables,
            &topology.watchers,
        ]
        .into_iter()
        .flat_map(|map| map.iter())
        .find(|(t, url)| t.eq_ignore_ascii_case(tag.trim()) && !url.trim().is_empty())
        .map(|(_, url)| url.trim())
    }

    /// True when the node that answered is node `tag`.
    pub fn answered_by(&self, tag: &str) -> bool {
        self.node_tag
            .as_deref()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case(tag.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::from_text;

    #[test]
    fn a_three_node_topology_is_read_whatever_lists_the_nodes() {
        let modern: ClusterTopologyResponse = from_text(
            r#"{"Topology":{"TopologyId":"x","AllNodes":{"A":"http://10.0.0.1:8080","B":"http://10.0.0.2:8080","C":"http://10.0.0.3:8080"},
                "Members":{"A":"http://10.0.0.1:8080","B":"http://10.0.0.2:8080"},"Promotables":{},"Watchers":{"C":"http://10.0.0.3:8080"},"LastNodeId":"C","Etag":9},
                "Leader":"A","NodeTag":"B","Status":{}}"#,
        )
        .unwrap();
        assert_eq!(modern.url_of("b"), Some("http://10.0.0.2:8080"));
        assert_eq!(modern.url_of("C"), Some("http://10.0.0.3:8080"));
        assert_eq!(modern.url_of("D"), None);
        assert!(modern.answered_by("b") && !modern.answered_by("A"));
        // 4.x without AllNodes: the three maps.
        let older: ClusterTopologyResponse = from_text(
            r#"{"Topology":{"Members":{"A":"http://a:8080"},"Promotables":{"B":"http://b:8080"},"Watchers":null},"Leader":"A","NodeTag":"A"}"#,
        )
        .unwrap();
        assert_eq!(older.url_of("B"), Some("http://b:8080"));
        // Nothing usable reads as no nodes.
        let empty: ClusterTopologyResponse = from_text(r#"{"Topology":null,"NodeTag":7}"#).unwrap();
        assert_eq!(empty.url_of("A"), None);
        assert_eq!(empty.node_tag.as_deref(), Some("7"));
        let blank: ClusterTopologyResponse =
            from_text(r#"{"Topology":{"AllNodes":{"A":""}}}"#).unwrap();
        assert_eq!(blank.url_of("A"), None);
    }
}
