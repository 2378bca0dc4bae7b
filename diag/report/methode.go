package report

import (
	"strings"

	"diagnum/diag"
)

// accessFormulas are the Méthodologie rows of the accessibility measure
// of p: the kernel W(t), R_j and A_i of its method (diag.Method), then,
// when the method or kernel is not the default one, the choice made and,
// with Params.Normalize, the normalisation.
func accessFormulas(p diag.Params) []methodRow {
	th := frNumber(p.ThresholdMin)
	def := p.Method == diag.MethodE2SFCA && p.Decay.Kind == diag.DecayGaussian && !p.Normalize
	rows := []methodRow{{"Pondération W(t)", decayText(p) + " ; d0 = " + th + " min"}}
	switch p.Method {
	case diag.Method3SFCA:
		rows = append(rows,
			methodRow{"Poids de sélection G_ij (3SFCA)", "G_ij = W(t_ij) / Σ_k W(t_ik), somme sur les sites k à portée de la commune i (0 quand la somme est nulle) : la population de i se répartit entre les sites qu'elle peut atteindre (Wan, Zou et Sternberg 2012)"},
			methodRow{"Rapport offre / demande R_j", "R_j = S_j / Σ_k G_kj·P_k·W(t_kj), P_k = population de la commune k"},
			methodRow{"Accès 3SFCA A_i", "A_i = Σ_j G_ij·R_j·W(t_ij) ; accès pour 10 000 hab. = A_i × 10 000 (colonne acces_e2sfca_pour_10k)"})
	default:
		name := map[diag.Method]string{diag.MethodE2SFCA: "E2SFCA", diag.Method2SFCA: "2SFCA", diag.MethodGravity: "gravitaire"}[p.Method]
		col := ""
		if !def {
			col = " (colonne acces_e2sfca_pour_10k)"
		}
		rows = append(rows,
			methodRow{"Rapport offre / demande R_j", "R_j = S_j / Σ_k P_k·W(t_kj), P_k = population de la commune k"},
			methodRow{"Accès " + name + " A_i", "A_i = Σ_j R_j·W(t_ij) ; accès pour 10 000 hab. = A_i × 10 000" + col})
	}
	if def {
		return rows
	}
	rows = append(rows, methodRow{"Conservation de l'offre", "Σ_i A_i·P_i = Σ_j S_j, somme sur les sites dont le bassin compte une population : les ETP d'un site sans population à portée (R_j = 0, signalé dans Contrôles) ne sont attribués à personne"})
	if p.Normalize {
		rows = append(rows, methodRow{"Normalisation (--normaliser)", "A_i est divisé par la moyenne pondérée Ā = Σ_i P_i·A_i / Σ_i P_i sur toutes les communes localisées de France : 10 000 = accès moyen (comme normalize=True de PySAL access)"})
	}
	return rows
}

// decayText writes the kernel W(t) that the method of p uses.
func decayText(p diag.Params) string {
	switch {
	case p.Method == diag.Method2SFCA:
		return "2SFCA, bassin binaire : W(t) = 1 si t ≤ d0, 0 au-delà"
	case p.Method == diag.MethodGravity && p.Decay.Kind == diag.DecayGaussian:
		return "gravitaire : W(t) = max(t, " + frNumber(diag.MinGravityMin) + " min)^(−1) si t ≤ d0, 0 au-delà (temps minimal 1 min : un site dans la commune n'est pas infiniment proche)"
	}
	k := p.Decay
	switch k.Kind {
	case diag.DecaySteps:
		s := "paliers (" + k.String() + ") : W(t) = poids du premier palier dont la borne en minutes est ≥ t, 0 au-delà du dernier palier et de d0"
		return s
	case diag.DecayNone:
		return "aucune décroissance : W(t) = 1 si t ≤ d0, 0 au-delà"
	case diag.DecayPower:
		return "puissance : W(t) = max(t, " + frNumber(diag.MinGravityMin) + " min)^(−β), β = " + frNumber(k.Beta) + ", si t ≤ d0, 0 au-delà"
	case diag.DecayExponential:
		return "exponentielle : W(t) = exp(−β·t), t en minutes, β = " + frNumber(k.Beta) + ", si t ≤ d0, 0 au-delà"
	}
	return "W(t) = (exp(−½(t/d0)²) − exp(−½)) / (1 − exp(−½)) si t ≤ d0, 0 au-delà ; W(0) = 1, W(d0) = 0"
}

// MethodLabel names the accessibility method of p as the headers show it:
// E2SFCA, 2SFCA, 3SFCA or gravitaire.
func MethodLabel(p diag.Params) string {
	return map[diag.Method]string{diag.MethodE2SFCA: "E2SFCA", diag.Method2SFCA: "2SFCA", diag.Method3SFCA: "3SFCA", diag.MethodGravity: "gravitaire"}[p.Method]
}

// MethodDecayLabel names the method of p with its kernel, as the column
// descriptions show it: « E2SFCA (décroissance gaussienne) » by default.
func MethodDecayLabel(p diag.Params) string {
	k := p.Decay
	switch {
	case p.Method == diag.Method2SFCA:
		return "2SFCA (bassin binaire)"
	case p.Method == diag.MethodGravity && k.Kind == diag.DecayGaussian:
		return "gravitaire (W = t^(−1))"
	case p.Method == diag.MethodGravity:
		return "gravitaire (W = t^(−β), β = " + frNumber(k.Beta) + ")"
	}
	decay := map[diag.DecayKind]string{
		diag.DecayGaussian: "décroissance gaussienne", diag.DecayNone: "sans décroissance",
		diag.DecaySteps:       "décroissance par paliers " + strings.TrimPrefix(k.String(), "paliers:"),
		diag.DecayPower:       "décroissance puissance, β = " + frNumber(k.Beta),
		diag.DecayExponential: "décroissance exponentielle, β = " + frNumber(k.Beta),
	}[k.Kind]
	return MethodLabel(p) + " (" + decay + ")"
}
