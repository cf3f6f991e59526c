package config

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/sources/feed"
)

// MergeFeeds adds specs whose URL is not yet listed to the "feeds" list of
// a configuration document, keeping its comments and layout, and returns
// the new document and how many feeds were added.
func MergeFeeds(doc []byte, specs []feed.Spec) ([]byte, int, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, 0, cleanYAMLError(err)
	}
	if root.Kind == 0 {
		root = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, 0, fmt.Errorf("line %d: the configuration must be a mapping of keys", top.Line)
	}
	var list *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "feeds" {
			list = top.Content[i+1]
		}
	}
	if list == nil {
		list = &yaml.Node{Kind: yaml.SequenceNode}
		top.Content = append(top.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "feeds"}, list)
	}
	if list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		*list = yaml.Node{Kind: yaml.SequenceNode}
	}
	if list.Kind != yaml.SequenceNode {
		return nil, 0, fmt.Errorf("line %d: feeds must be a list", list.Line)
	}
	have := map[string]bool{}
	for _, item := range list.Content {
		for i := 0; i+1 < len(item.Content); i += 2 {
			if item.Content[i].Value == "url" {
				have[item.Content[i+1].Value] = true
			}
		}
	}
	added := 0
	for _, s := range specs {
		if have[s.URL] {
			continue
		}
		have[s.URL] = true
		var n yaml.Node
		if err := n.Encode(opmlEntry{URL: s.URL, Name: s.Name, Tags: s.Tags}); err != nil {
			return nil, 0, err
		}
		list.Content = append(list.Content, &n)
		added++
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), added, enc.Close()
}

// opmlEntry is the subset of feed.Spec an OPML file can carry.
type opmlEntry struct {
	URL  string   `yaml:"url"`
	Name string   `yaml:"name,omitempty"`
	Tags []string `yaml:"tags,omitempty,flow"`
}
